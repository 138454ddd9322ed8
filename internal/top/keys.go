package top

import "charm.land/bubbles/v2/key"

// keyMap is every key the view answers to; the help screen (?) is rendered from it,
// so the two cannot disagree.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Pause                                 key.Binding
	SortNext, SortPrev, SortReverse       key.Binding
	Filter, Clear                         key.Binding
	Group, Enter                          key.Binding
	Names                                 key.Binding
	Close                                 key.Binding
	Help, Quit                            key.Binding
}

func defaultKeys() keyMap {
	return keyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "move up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "move down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:        key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first row")),
		End:         key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last row")),
		Pause:       key.NewBinding(key.WithKeys("p", "space"), key.WithHelp("p/space", "pause or resume the refresh")),
		SortNext:    key.NewBinding(key.WithKeys(">", "s"), key.WithHelp(">/s", "sort by the next column (or click a header)")),
		SortPrev:    key.NewBinding(key.WithKeys("<"), key.WithHelp("<", "sort by the previous column")),
		SortReverse: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reverse the sort order")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter: --filter language or plain words")),
		Clear:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear the filter, close a panel")),
		Group:       key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "group by process, state, remote host, local port, none")),
		Enter:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "expand a group, details of a socket")),
		Names:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "toggle host and service names")),
		Close:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "close the selected TCP connection (asks y/N)")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "this help")),
		Quit:        key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// all lists the bindings in the order the help screen shows them.
func (k keyMap) all() []key.Binding {
	return []key.Binding{
		k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End,
		k.Pause, k.SortNext, k.SortPrev, k.SortReverse,
		k.Filter, k.Clear, k.Group, k.Enter, k.Names, k.Close, k.Help, k.Quit,
	}
}
