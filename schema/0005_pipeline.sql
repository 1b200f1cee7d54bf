-- Placeholder so this branch's migrations run without a gap: helper pipeline9 owns 0005
-- (schema/0005_pipeline.sql on its branch). On merge, take pipeline9's file.
SELECT 1;
