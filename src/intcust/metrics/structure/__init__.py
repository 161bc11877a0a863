"""Structure (organisational network analysis): reciprocity, E-I index, brokerage, holes, roles."""
