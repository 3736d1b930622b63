"""Files the app writes and reads: printed documents (PDF), spreadsheets."""
