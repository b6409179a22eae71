"""园产与物品: fixed assets with their rooms and keepers and the term-end count, supplies issued and lent, repairs,
and water, electricity and gas."""
