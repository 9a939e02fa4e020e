// Template (__KIND__: the relationship type of a kind of fact): how many facts of that kind the
// graph holds (a count-store lookup).
// Parameters: none
// Columns: n
MATCH ()-[f:__KIND__]->()
RETURN count(f) AS n
