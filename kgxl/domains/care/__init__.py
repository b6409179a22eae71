"""卫生保健登记: infectious diseases, injuries, food samples and the meal committee."""
