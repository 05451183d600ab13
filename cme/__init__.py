"""The CME Register: finding children missing education and getting them back into it."""
