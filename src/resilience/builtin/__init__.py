"""Built-in plugins: the library's own content, registered through the public hooks."""
