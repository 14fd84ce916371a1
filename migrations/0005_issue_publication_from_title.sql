-- Issues made before 0004 kept their publication's name in "title"; 0006 drops that column.
UPDATE "bulletin_issues" SET "publication" = "title" WHERE "publication" = '';
