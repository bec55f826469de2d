"""Exchange formats: theories read from and written to the formats of other tools."""
