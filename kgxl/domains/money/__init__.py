"""Money: the meal fund with its food stock and the ±2 % rule, budget execution, the fee notice and the
term-end settlement."""
