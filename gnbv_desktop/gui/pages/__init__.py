"""Pages of the main window, each a standalone widget taking an AppContext."""
