@workforce
Feature: Building, supporting and protecting the workforce
  The inspectorate found that not everyone had an annual performance review, that supervisors
  (including temporarily promoted sergeants) were not all trained to manage performance, and that
  people in high-risk roles did not all get occupational health support.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @area_for_improvement @boundary
  Scenario Outline: Annual performance reviews are completed in the last year
    Given a workforce_member record "P-1" with:
      | annual_review_due          | true       |
      | annual_review_completed_on | <reviewed> |
      | left_on                    | <left>     |
    When the assessment runs
    Then record P-1 <outcome> rule WRK-002

    Examples:
      | reviewed   | left       | outcome              |
      | 2021-10-01 |            | passes               |
      | 2021-04-01 |            | passes               |
      | 2021-03-31 |            | fails                |
      |            |            | is not recorded for  |
      | 2020-01-01 | 2021-01-31 | is not applicable to |

  @finding
  Scenario: Temporarily promoted sergeants are trained for the role
    Given these workforce_member records:
      | person_ref | supervisor | temporarily_promoted | supervisor_training_completed |
      | P-1        | true       | true                 | true                          |
      | P-2        | true       | true                 | false                         |
      | P-3        | true       | false                | false                         |
      | P-4        | false      | false                |                               |
    When the assessment runs
    Then rule WRK-004 lists records P-2
    And record P-3 is not applicable to rule WRK-004
    And rule WRK-003 lists records P-2 and P-3
    And rule WRK-003 has 3 applicable, 1 compliant, 2 non-compliant and 0 not recorded records

  @finding @boundary
  Scenario Outline: Leavers in the last year are offered an exit interview; one they decline is recorded as declined
    Given a workforce_member record "P-1" with:
      | left_on                  | <left>      |
      | exit_interview_completed | <interview> |
      | exit_interview_declined  | <declined>  |
    When the assessment runs
    Then record P-1 <outcome> rule WRK-007

    Examples:
      | left       | interview | declined | outcome              |
      | 2021-12-31 | true      |          | passes               |
      | 2021-12-31 | false     | true     | passes               |
      | 2021-12-31 | false     |          | fails                |
      | 2021-04-01 | false     |          | fails                |
      | 2021-03-31 | false     |          | is not applicable to |
      |            |           |          | is not applicable to |

  @boundary
  Scenario Outline: A practice the force attests to counts only with a yes, evidence, and a review in the last year
    Given these attestation records:
      | attestation_ref | question   | scope       | answer | evidence_ref     | last_reviewed_on |
      | YES             | <question> | whole force | yes    | Board minutes 21 | 2021-04-01       |
      | NO              | <question> | whole force | no     | Board minutes 21 | 2021-10-01       |
      | NO-EVIDENCE     | <question> | whole force | yes    |                  | 2021-10-01       |
      | STALE           | <question> | whole force | yes    | Board minutes 20 | 2021-03-31       |
      | UNDATED         | <question> | whole force | yes    | Board minutes 21 |                  |
    When the assessment runs
    Then rule <rule> has 5 applicable, 1 compliant, 3 non-compliant and 1 not recorded records
    And rule <rule> lists records NO, NO-EVIDENCE, STALE and UNDATED

    Examples:
      | rule    | question                       |
      | WRK-005 | workforce_skills_audit         |
      | WRK-009 | collaboration_strategy         |
      | WRK-010 | wellbeing_plan_owner           |
      | WRK-011 | learning_development_needs_met |
      | WRK-012 | talent_management_programme    |
      | WRK-050 | staff_time_savings_identified  |
      | WRK-051 | specialist_workload_tools      |
      | WRK-052 | mobile_devices                 |

  Scenario Outline: A rule an auditor answers is reported as manual, never computed
    Given these attestation records:
      | attestation_ref | question       | answer |
      | ATT-1           | <any_question> | yes    |
    When the assessment runs
    Then rule <rule> is manual

    Examples:
      | rule    | any_question   |
      | WRK-008 | mobile_devices |
      | WRK-053 | mobile_devices |

  @finding @boundary
  Scenario Outline: People in high-risk roles had occupational health support in the last year
    Given a workforce_member record "P-1" with:
      | high_risk_role                  | <high_risk> |
      | occupational_health_assessed_on | <assessed>  |
    When the assessment runs
    Then record P-1 <outcome> rule WRK-006

    Examples:
      | high_risk | assessed   | outcome              |
      | true      | 2021-04-01 | passes               |
      | true      | 2021-03-31 | fails                |
      | true      |            | is not recorded for  |
      | false     |            | is not applicable to |
