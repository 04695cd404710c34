"""The stages, in pipeline order. The first reads records; the others read tables."""
from pipeline.stages import clean, dates, entities, quote_context, quotes, sentences

SOURCE_STAGE = clean.STAGE
TABLE_STAGES = (sentences.STAGE, entities.STAGE, quotes.STAGE, dates.STAGE, quote_context.STAGE)
