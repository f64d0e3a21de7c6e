"""What a learner looks at: grids of numbers (HTML cells), line and dot charts,
thumbnails, and the window explorer (a st.components.v2 component and its payload).
"""
