package pwa

import (
	"encoding/json"
	"fmt"
)

// themeColour is the app's background and browser-bar colour; the icons and
// app.css use the same navy.
const themeColour = "#0d1b2a"

// manifest is a web app manifest (https://www.w3.org/TR/appmanifest/). Chromium
// installs the app when it has a name, a start_url, display standalone, icons
// of 192 and 512 pixels and a service worker that handles fetch.
type manifest struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	ShortName       string     `json:"short_name"`
	Description     string     `json:"description"`
	StartURL        string     `json:"start_url"`
	Scope           string     `json:"scope"`
	Display         string     `json:"display"`
	BackgroundColor string     `json:"background_color"`
	ThemeColor      string     `json:"theme_color"`
	Icons           []icon     `json:"icons"`
	Shortcuts       []shortcut `json:"shortcuts"`
}

type icon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
}

type shortcut struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// renderManifest describes the app with the icons' hashed URLs.
func renderManifest(paths map[string]string) (*file, error) {
	m := manifest{
		ID:              "/",
		Name:            "Shipshape",
		ShortName:       "Shipshape",
		Description:     "Pick, pack and watch the warehouse floor.",
		StartURL:        "/pick",
		Scope:           "/",
		Display:         "standalone",
		BackgroundColor: themeColour,
		ThemeColor:      themeColour,
		Shortcuts: []shortcut{
			{Name: "Pick", URL: "/pick"},
			{Name: "Pack", URL: "/pack"},
			{Name: "Dashboard", URL: "/dashboard"},
		},
	}

	// Launchers crop maskable icons to their own shape, so those bleed to the
	// edges; the "any" icons have transparent rounded corners instead.
	for _, purpose := range []string{"any", "maskable"} {
		for _, size := range []int{192, 512} {
			name := fmt.Sprintf("icons/icon-%d.png", size)
			if purpose == "maskable" {
				name = fmt.Sprintf("icons/maskable-%d.png", size)
			}
			src, ok := paths[name]
			if !ok {
				return nil, fmt.Errorf("manifest: no static file %q", name)
			}
			sizes := fmt.Sprintf("%dx%d", size, size)
			m.Icons = append(m.Icons, icon{Src: src, Sizes: sizes, Type: "image/png", Purpose: purpose})
		}
	}

	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return newFile(b, "application/manifest+json", cacheRevalid), nil
}
