"""Making files from pull requests inert: SVG sanitizing and the active-content check."""
