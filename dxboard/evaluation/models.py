"""The evaluation app has no models: it reads values, targets and programmes of the others.

Its one former model, the audit of targets (`TargetChange`), lives with the targets in
`dxboard.indicators.models`; its table kept its name.
"""
