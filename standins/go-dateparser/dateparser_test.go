package dateparser

import "testing"

func TestParse(t *testing.T) {
	var p Parser
	for _, s := range []string{"2024-03-05", "5 March 2024", "March 5, 2024", "2024-03-05T09:30:00Z"} {
		d, err := p.Parse(&Configuration{}, s)
		if err != nil || d.Time.Year() != 2024 || d.Time.Month() != 3 || d.Time.Day() != 5 {
			t.Errorf("Parse(%q) = %v, %v", s, d.Time, err)
		}
	}
	if _, err := p.Parse(nil, "yesterday afternoon"); err == nil {
		t.Error("a relative date was read")
	}
}
