"""The Qt face of dropgui: it shows results and asks for specs; it computes nothing."""
