-- Placeholder: migration 0006 belongs to another issue-9 branch (pipeline9 0005, training9
-- 0006). Migrations run gapless, so this branch needs the number filled to reach 0007.
-- Delete this file when the real 0006 is merged.
SELECT 1;
