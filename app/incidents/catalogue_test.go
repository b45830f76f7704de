package incidents

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Every name the incidents show — statuses, markings, categories,
// positions, roles, indicator types — is in both catalogues.
func TestEveryNameIsInBothCatalogues(t *testing.T) {
	var keys []string
	for _, s := range Statuses {
		keys = append(keys, s.MessageKey())
	}
	for _, m := range TLPs {
		keys = append(keys, m.MessageKey())
	}
	for _, c := range Categories {
		keys = append(keys, c.MessageKey())
	}
	for _, k := range PositionKinds {
		keys = append(keys, k.MessageKey())
	}
	for _, r := range IndicatorRoles {
		keys = append(keys, r.MessageKey())
	}
	for _, sec := range Sectors {
		keys = append(keys, sec.MessageKey())
	}
	for _, it := range IndicatorTypes {
		keys = append(keys, it.MessageKey())
	}
	for _, lang := range []string{"en", "zh"} {
		raw, err := os.ReadFile(filepath.Join("..", "i18n", "locales", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(raw, &cat); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if cat[k] == "" {
				t.Errorf("%s: %s is missing", lang, k)
			}
		}
	}
}
