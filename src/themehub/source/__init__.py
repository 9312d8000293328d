"""Reading what people write: files, YAML front matter and its fields, slugs, and paths inside the site.

The ground floor of the pipeline: config and content both read through it, and it imports neither."""
