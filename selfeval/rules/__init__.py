"""Rules: the figures a form implies (analysis), the checks that give findings, rescoring."""
