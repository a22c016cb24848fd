"""Appraisals: read anything the EVE client lets a player copy, resolve real item names, price the lot."""
