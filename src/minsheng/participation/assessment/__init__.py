"""Unit assessment (考核): a year-end score per lead unit from weighted parts the office sets."""
