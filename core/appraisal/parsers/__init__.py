"""One module per family of EVE client paste formats; each parser takes the lines it understands."""
