class DomainError(Exception):
    """A business rule refused an action; the message is Vietnamese and names the rule.

    `field` lets a form attach the message to one input; views show the rest at the top.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
