"""The trader's own book: wallet transactions and journal, fee attribution, FIFO profit (pure, no I/O)."""
