"""Pages of the main window's navigation; each takes an AppContext and reloads on its signals."""
