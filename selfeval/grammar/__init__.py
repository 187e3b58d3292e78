"""The target grammar: how a 年度指标值 and a 实际完成值 are read and compared."""
