"""Writers: templates, the 复核 workpaper, rescored copies and the marks they leave."""
