"""The planning domain's sheet names, in one place."""
PROGRESS = "行事历执行"
