"""The stages, in pipeline order. The first reads records; the others read tables."""
from pipeline.stages import clean, dates, entities, sentences

SOURCE_STAGE = clean.STAGE
TABLE_STAGES = (sentences.STAGE, entities.STAGE, dates.STAGE)
