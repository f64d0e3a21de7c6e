"""One module per lesson page (its parameters, presets and pictures), and the parts a
lesson's page outgrew (the planner's table, paste box, tables and solver).
"""
