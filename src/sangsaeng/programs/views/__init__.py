"""Pages of support programs, under /<language>/programs/: public calls, applying,
reviewing, and the cluster office's pages for running a call (``manage/``).

Views parse input with a form, call one service or selector, and render. A record the viewer
may not see is a 404; an action they may not take on one they see is a 403.
"""
