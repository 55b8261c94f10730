"""HTTP for the execution layer: parse input with a form, call one service or selector, render."""
