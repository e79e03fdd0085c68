"""Long work as jobs: importing schools and large exports run on a worker while a page
shows their progress, then the result, the line-numbered errors or a download."""
