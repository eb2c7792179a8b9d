package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"newsbot/internal/store"
)

// alertSection shows one alert: both claims and the reasons, with actions.
func alertSection(v *viewer, al store.Alert) (Section, error) {
	ref := store.AlertRef(al.ID)
	kind := "Contradiction"
	if al.SameSpeaker {
		kind = "Change of position"
	}
	sec := Section{
		Heading:    fmt.Sprintf("%s %s (%s, score %.2f)", kind, ref, al.State, al.Score),
		Subheading: "Why: " + strings.Join(al.Reasons, "; "),
	}
	for _, id := range []uint64{al.Old, al.New} {
		st, ok, err := v.tx.Statement(id)
		if err != nil {
			return sec, err
		}
		if !ok {
			continue
		}
		view, err := v.statement(&st)
		if err != nil {
			return sec, err
		}
		sec.Statements = append(sec.Statements, view)
	}
	if al.State == store.AlertOpen {
		sec.Actions = alertActions(ref)
	} else if al.StateBy != "" {
		sec.Lines = append(sec.Lines, fmt.Sprintf("%s by %s on %s", al.State, al.StateBy, al.StateAt.Format("2006-01-02 15:04 MST")))
	}
	return sec, nil
}

func alertActions(ref string) []Action {
	return []Action{
		{ID: "alert.confirm", Label: "Confirm", Value: ref, Command: "alert confirm " + ref, Style: "primary"},
		{ID: "alert.dismiss", Label: "Dismiss", Value: ref, Command: "alert dismiss " + ref, Style: "danger"},
	}
}

func (h *handlers) alerts(ctx context.Context, req *Request, args []string) (*Reply, error) {
	all := false
	if len(args) > 0 {
		switch strings.ToLower(args[0]) {
		case "open":
		case "all":
			all = true
		default:
			return errorReply("alerts takes `open` or `all`, not %q.", args[0]), nil
		}
	}
	var reply *Reply
	err := h.Store.View(ctx, func(tx *store.Tx) error {
		list, err := tx.Alerts(all, h.MaxStatements)
		if err != nil {
			return err
		}
		reply = &Reply{Title: "Open contradiction alerts"}
		if all {
			reply.Title = "Contradiction alerts"
		}
		if len(list) == 0 {
			reply.Text = "None."
			return nil
		}
		v := newViewer(tx)
		for _, al := range list {
			sec, err := alertSection(v, al)
			if err != nil {
				return err
			}
			reply.Sections = append(reply.Sections, sec)
		}
		return nil
	})
	return reply, err
}

func (h *handlers) alert(ctx context.Context, req *Request, args []string) (*Reply, error) {
	var state string
	switch strings.ToLower(args[0]) {
	case "confirm":
		state = store.AlertConfirmed
	case "dismiss":
		state = store.AlertDismissed
	case "reopen":
		state = store.AlertOpen
	default:
		return errorReply("alert takes `confirm`, `dismiss` or `reopen`, not %q.", args[0]), nil
	}
	id, err := store.ParseRef('A', args[1])
	if err != nil {
		return errorReply("%v", err), nil
	}
	by := req.Platform + ":" + req.User
	var al store.Alert
	err = h.Store.Update(ctx, func(tx *store.Tx) error {
		al, err = tx.SetAlertState(id, state, by, h.Now().UTC())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return errorReply("There is no alert %s. `alerts all` lists them.", store.AlertRef(id)), nil
	}
	if err != nil {
		return nil, err
	}
	return &Reply{Title: fmt.Sprintf("Alert %s %s", store.AlertRef(al.ID), al.State),
		Text: fmt.Sprintf("Marked %s by %s.", al.State, by)}, nil
}
