"""The review web page where analysts confirm or dismiss flagged footage."""
