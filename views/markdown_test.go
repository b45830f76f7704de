package views

import (
	"strings"
	"testing"
)

func TestWordDiff(t *testing.T) {
	parts := WordDiff("Measures to boost dialogue on cyber security", "Measures to boost dialogue and cooperation on cyber security")
	var removed, added, same strings.Builder
	for _, p := range parts {
		switch p.Op {
		case -1:
			removed.WriteString(p.Text)
		case 1:
			added.WriteString(p.Text)
		default:
			same.WriteString(p.Text)
		}
	}
	if removed.String() != "" || added.String() != "and cooperation " {
		t.Errorf("removed %q added %q", removed.String(), added.String())
	}
	if same.String()+added.String() == "" {
		t.Fatal("empty diff")
	}
	zh := WordDiff("加强网络安全对话", "加强网络安全对话与合作")
	if len(zh) != 2 || zh[1].Op != 1 || zh[1].Text != "与合作" {
		t.Errorf("Chinese diff: %+v", zh)
	}
	whole := WordDiff("a b c", "a x c")
	var rebuiltNew strings.Builder
	for _, p := range whole {
		if p.Op >= 0 {
			rebuiltNew.WriteString(p.Text)
		}
	}
	if rebuiltNew.String() != "a x c" {
		t.Errorf("the new text is not rebuilt from the diff: %q", rebuiltNew.String())
	}
}

func TestMarkdownIsSanitised(t *testing.T) {
	out := RenderMarkdown("**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n- a\n- b")
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(out, bad) {
			t.Errorf("sanitised output still has %q: %s", bad, out)
		}
	}
	if !strings.Contains(out, "<strong>bold</strong>") || !strings.Contains(out, "<li>a</li>") {
		t.Errorf("formatting lost: %s", out)
	}
}
