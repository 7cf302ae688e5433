"""Running the suite on one machine: the local gateway, its Lambda stand-ins, an embedded Postgres."""
