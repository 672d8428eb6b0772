@preventing
Feature: Preventing crime and anti-social behaviour
  The inspectorate asked for local problems to be tackled with a structured problem-solving method,
  with partners and with the local community, for closed plans to be evaluated, and for effective
  practice to be shared. Neighbourhood officers and PCSOs should be trained to do it.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @area_for_improvement
  Scenario Outline: A problem-solving plan uses a structured method, with analysis and partners
    Given a problem_solving_plan record "PSP-1" with:
      | method            | <method>   |
      | analysis_recorded | <analysis> |
      | partners_involved | <partners> |
    When the assessment runs
    Then rule PRE-052 is <outcome> for record PSP-1

    Examples:
      | method           | analysis | partners | outcome      |
      | sara             | true     | true     | met          |
      | oscar            | true     | true     | met          |
      | other_structured | true     | true     | met          |
      | unstructured     | true     | true     | not met      |
      | sara             | false    | true     | not met      |
      | sara             | true     | false    | not met      |
      |                  | true     | true     | not recorded |

  @area_for_improvement
  Scenario: Only closed plans need an evaluation
    Given these problem_solving_plan records:
      | plan_ref | status | evaluated | tactics_used         | tactics_evaluated |
      | PSP-1    | closed | true      | dispersal order      | true              |
      | PSP-2    | closed | false     | community protection | false             |
      | PSP-3    | open   | false     | dispersal order      |                   |
      | PSP-4    | closed |           |                      |                   |
    When the assessment runs
    Then rule PRE-054 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
    And record PSP-3 is not applicable to rule PRE-054
    And rule PRE-054 lists records PSP-2, PSP-4
    And rule PRE-061 lists records PSP-2
    And record PSP-4 is not applicable to rule PRE-061

  @area_for_improvement
  Scenario: Effective practice is shared across the force and with partners
    Given these problem_solving_plan records:
      | plan_ref | effective_practice_identified | practice_shared_force_wide | practice_shared_with_partners |
      | PSP-1    | true                          | true                       | true                          |
      | PSP-2    | true                          | true                       | false                         |
      | PSP-3    | false                         |                            |                               |
    When the assessment runs
    Then rule PRE-055 is not met
    And rule PRE-055 lists records PSP-2
    And the compliance rate of PRE-055 is 50%

  @finding
  Scenario: Neighbourhood officers, PCSOs and specials in post are trained in problem solving
    Given these workforce_member records:
      | person_ref | department    | role_type         | problem_solving_trained | left_on    |
      | P-1        | neighbourhood | police_officer    | true                    |            |
      | P-2        | neighbourhood | pcso              | false                   |            |
      | P-3        | neighbourhood | special_constable |                         |            |
      | P-4        | neighbourhood | police_staff      | false                   |            |
      | P-5        | response      | police_officer    | false                   |            |
      | P-6        | neighbourhood | pcso              | false                   | 2021-12-31 |
    When the assessment runs
    Then rule PRE-060 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
    And rule PRE-060 lists records P-2 and P-3

  @finding
  Scenario: A strategy attested "yes" but with no evidence reference does not count
    Given these attestation records:
      | attestation_ref | question                  | answer | evidence_ref | last_reviewed_on |
      | ATT-1           | crime_prevention_strategy | yes    |              | 2021-11-01       |
    When the assessment runs
    Then record ATT-1 fails rule PRE-050 because of its evidence_ref
    And rule PRE-062 is manual

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
      | rule    | question                              |
      | PRE-002 | evidence_based_practice_understood    |
      | PRE-050 | crime_prevention_strategy             |
      | PRE-056 | community_understanding_analysis      |
      | PRE-057 | neighbourhood_abstraction_measured    |
      | PRE-058 | daily_management_meetings_prevention  |
      | PRE-059 | response_officers_neighbourhood_model |

  Scenario Outline: A rule an auditor answers is reported as manual, never computed
    Given these attestation records:
      | attestation_ref | question       | answer |
      | ATT-1           | <any_question> | yes    |
    When the assessment runs
    Then rule <rule> is manual

    Examples:
      | rule    | any_question              |
      | PRE-062 | crime_prevention_strategy |
      | PRE-063 | crime_prevention_strategy |

  @finding @area_for_improvement
  Scenario: Local people are consulted, and staff who often deal with victims are trained in crime prevention
    Given these problem_solving_plan records:
      | plan_ref | community_engaged |
      | PSP-1    | true              |
      | PSP-2    | false             |
    And these workforce_member records:
      | person_ref | deals_often_with_victims | crime_prevention_trained | left_on    |
      | P-1        | true                     | true                     |            |
      | P-2        | true                     |                          |            |
      | P-3        | true                     | false                    | 2021-08-31 |
      | P-4        | false                    | false                    |            |
    When the assessment runs
    Then rule PRE-053 lists records PSP-2
    And rule PRE-051 has 2 applicable, 1 compliant, 0 non-compliant and 1 not recorded records
