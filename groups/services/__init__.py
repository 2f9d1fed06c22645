"""Workflows of the groups app, one module per sub-domain: interests, demand, privacy, planning,
approval, lifecycle, confirmation. Keyword-only `<entity>_<action>` functions, each in one
transaction; dependencies point one way (demand ← interests ← privacy; lifecycle ← approval,
confirmation)."""
