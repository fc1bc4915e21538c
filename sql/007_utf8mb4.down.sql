-- Leaves the columns utf8mb4: narrowing them again would turn text into '?'. Earlier versions
-- of the tools read utf8mb4 columns as they are.
DO 0;
