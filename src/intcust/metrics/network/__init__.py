"""Network metrics: who serves whom, how much, who brokers and who reaches the paying customer."""
