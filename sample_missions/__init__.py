"""Sample mission plans, bundled so `releve` opens one with no argument."""
