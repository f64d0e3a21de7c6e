"""Decoders of what a learner brings: uploaded pictures (with their memory budget) and
tensors written as text.
"""
