"""One function per use case. Each takes a Session and a Context, adds rows and may flush;
none commits, prints or reads the environment."""
