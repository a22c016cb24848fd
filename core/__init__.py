"""evetrader's platform-neutral logic: market maths, use cases and the ports they need from outside."""
