// Report: organisation assessments of a year and the year before: weak and lax organisations
// (软弱涣散), rectification plans (weak with a category), top-ten branches (十强支部), and the
// youth-talent branches (青年人才党支部).
//
// Parameters:
//   year: int = the current year
// Columns: weak_previous_year, weak_year, rectification_plans_previous_year, top_ten_branches,
//   youth_talent_branches
CALL () {
  MATCH (a:Assessment)
  WHERE a.year IN [$year - 1, $year]
  RETURN count(CASE WHEN a.year = $year - 1 AND a.weak THEN 1 END) AS weak_previous_year,
         count(CASE WHEN a.year = $year AND a.weak THEN 1 END) AS weak_year,
         count(CASE WHEN a.year = $year - 1 AND a.weak AND a.weak_category IS NOT NULL THEN 1 END)
           AS rectification_plans_previous_year,
         count(CASE WHEN a.year = $year AND a.honor = 'top_ten_branch' THEN 1 END) AS top_ten_branches
}
CALL () {
  MATCH (o:Organization)
  WHERE o.setting = 'youth_talent'
  RETURN count(o) AS youth_talent_branches
}
RETURN weak_previous_year, weak_year, rectification_plans_previous_year, top_ten_branches,
       youth_talent_branches
