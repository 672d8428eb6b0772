@serious_organised_crime
Feature: Tackling serious and organised crime
  The inspectorate recommended that organised crime groups be mapped promptly, re-assessed and
  scrutinised regularly, managed by a trained lead responsible officer under a multi-agency 4P plan,
  and that the force use serious crime prevention orders. Most of these rules are about one group at
  a time (an order considered for each active group); the use of orders obtained is counted across
  the whole force.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @finding @boundary
  Scenario Outline: A serious crime prevention order is considered for every active group each year
    Given these organised_crime_group records:
      | ocg_ref | active | scpo_considered_on |
      | OCG-1   | true   | <considered>       |
      | OCG-2   | true   | 2021-10-12         |
      | OCG-3   | false  |                    |
    When the assessment runs
    Then rule SOC-060 is <status>

    Examples:
      | considered | status  |
      | 2021-10-12 | met     |
      | 2021-04-01 | met     |
      | 2021-03-31 | not met |
      | 2022-04-02 | not met |
      |            | not met |

  @finding
  Scenario: One group's order does not cover the others
    Given these organised_crime_group records:
      | ocg_ref | active | scpo_considered_on |
      | OCG-1   | true   | 2021-10-12         |
      | OCG-2   | true   |                    |
      | OCG-3   | true   | 2019-06-01         |
    When the assessment runs
    Then rule SOC-060 is not met
    And rule SOC-060 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records

  @finding @boundary
  Scenario Outline: A group identified in the last year is not yet due a consideration
    Given these organised_crime_group records:
      | ocg_ref | active | identified_on |
      | OCG-1   | true   | <identified>  |
    When the assessment runs
    Then record OCG-1 <outcome> rule SOC-060

    Examples:
      | identified | outcome             |
      | 2021-04-01 | passes              |
      | 2021-03-31 | is not recorded for |

  @finding @aggregate
  Scenario: A count rule over no records at all is not met, not "not assessed"
    Given no organised_crime_group records
    When the assessment runs
    Then rule SOC-061 is not met
    And rule SOC-060 is not assessed

  @finding @aggregate
  Scenario: A count rule whose records were not supplied at all is not assessed
    Given these case_file records:
      | case_ref | serious |
      | CF-1     | false   |
    When the assessment runs
    Then rule SOC-060 is not assessed

  @recommendation @boundary
  Scenario Outline: Organised crime groups are mapped within 28 days of being identified
    Given an organised_crime_group record "OCG-1" with:
      | identified_on | <identified> |
      | mapped_on     | <mapped>     |
    When the assessment runs
    Then record OCG-1 <outcome> rule SOC-052

    Examples:
      | identified | mapped     | outcome              |
      | 2022-01-01 | 2022-01-15 | passes               |
      | 2022-01-01 | 2022-01-29 | passes               |
      | 2022-01-01 | 2022-01-30 | fails                |
      | 2022-01-01 |            | fails                |
      | 2022-03-20 |            | is not applicable to |
      | 2022-03-04 |            | is not applicable to |
      | 2022-03-03 |            | fails                |

  @recommendation
  Scenario Outline: Every active group has a multi-agency 4P plan
    Given an organised_crime_group record "OCG-1" with:
      | active                   | <active>   |
      | four_p_plan_in_place     | true       |
      | pursue_activity_planned  | true       |
      | prevent_activity_planned | <prevent>  |
      | protect_activity_planned | true       |
      | prepare_activity_planned | true       |
      | partners_involved        | <partners> |
    When the assessment runs
    Then rule SOC-056 is <outcome> for record OCG-1

    Examples:
      | active | prevent | partners | outcome        |
      | true   | true    | true     | met            |
      | true   | false   | true     | not met        |
      | true   | true    | false    | not met        |
      | true   | true    |          | not recorded   |
      | false  | false   | false    | not applicable |

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
      | rule    | question                      |
      | SOC-051 | soc_partner_engagement        |
      | SOC-057 | soc_prevention_at_risk_people |
      | SOC-064 | intelligence_backlog_managed  |

  Scenario Outline: A rule an auditor answers is reported as manual, never computed
    Given these attestation records:
      | attestation_ref | question       | answer |
      | ATT-1           | <any_question> | yes    |
    When the assessment runs
    Then rule <rule> is manual

    Examples:
      | rule    | any_question      |
      | SOC-050 | soc_local_profile |
      | SOC-065 | soc_local_profile |
      | SOC-066 | soc_local_profile |

  @recommendation @boundary
  Scenario Outline: Active groups are re-assessed every quarter and scrutinised every month
    Given an organised_crime_group record "OCG-1" with:
      | active              | true          |
      | mapped_on           | 2021-06-01    |
      | last_reassessed_on  | <reassessed>  |
      | last_scrutinised_on | <scrutinised> |
    When the assessment runs
    Then record OCG-1 <reassessed_outcome> rule SOC-053
    And record OCG-1 <scrutinised_outcome> rule SOC-054

    Examples:
      | reassessed | scrutinised | reassessed_outcome  | scrutinised_outcome |
      | 2022-01-01 | 2022-03-01  | passes              | passes              |
      | 2021-12-31 | 2022-02-28  | fails               | fails               |
      |            |             | is not recorded for | is not recorded for |

  @recommendation @boundary
  Scenario Outline: A quarter and a month are calendar months, ending on the month's last day when it is shorter
    Given the assessment date is <assessed>
    And an organised_crime_group record "OCG-1" with:
      | active              | true          |
      | mapped_on           | 2021-06-01    |
      | last_reassessed_on  | <reassessed>  |
      | last_scrutinised_on | <scrutinised> |
    When the assessment runs
    Then record OCG-1 <outcome> rule SOC-053
    And record OCG-1 <outcome> rule SOC-054

    Examples:
      | assessed   | reassessed | scrutinised | outcome |
      | 2022-05-31 | 2022-02-28 | 2022-04-30  | passes  |
      | 2022-05-31 | 2022-02-27 | 2022-04-29  | fails   |
      | 2022-03-01 | 2021-12-01 | 2022-02-01  | passes  |
      | 2022-03-01 | 2021-11-30 | 2022-01-31  | fails   |

  @recommendation @finding
  Scenario: Each active group has a trained lead responsible officer, assessed on appointment, and a GAIN referral considered
    Given these organised_crime_group records:
      | ocg_ref | active | lead_responsible_officer | lro_trained | lro_appointed_on | lro_competence_assessed_on | gain_referral_considered |
      | OCG-1   | true   | DI Example               | true        | 2021-09-01       | 2021-09-20                 | true                     |
      | OCG-2   | true   | DS Example               | false       | 2021-09-01       | 2021-10-15                 | false                    |
      | OCG-3   | true   |                          |             |                  |                            |                          |
      | OCG-4   | false  |                          |             |                  |                            |                          |
    When the assessment runs
    Then rule SOC-055 lists records OCG-2, OCG-3
    And record OCG-3 fails rule SOC-055 because of its lead_responsible_officer
    And rule SOC-062 lists records OCG-2
    And record OCG-3 is not applicable to rule SOC-062
    And rule SOC-063 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records

  @recommendation @boundary
  Scenario Outline: A lead responsible officer appointed in the last 28 days is not yet due a competence assessment
    Given the assessment date is 2021-10-01
    And an organised_crime_group record "OCG-1" with:
      | active                   | true        |
      | lead_responsible_officer | DI Example  |
      | lro_appointed_on         | <appointed> |
    When the assessment runs
    Then record OCG-1 <outcome> rule SOC-062

    Examples:
      | appointed  | outcome             |
      | 2021-09-20 | passes              |
      | 2021-09-03 | passes              |
      | 2021-09-02 | is not recorded for |

  @recommendation
  Scenario: Disruptions against long-standing groups are recorded, categorised and evaluated, with lessons kept
    Given these organised_crime_group records:
      | ocg_ref | active | mapped_on  | disruption_dates      | disruptions_categorised_by_4p | disruptions_evaluated | lessons_recorded |
      | OCG-1   | true   | 2021-01-10 | 2021-05-01;2021-11-20 | true                          | true                  | true             |
      | OCG-2   | true   | 2021-01-10 | none                  | false                         | false                 |                  |
      | OCG-3   | true   | 2022-03-01 | none                  |                               |                       |                  |
    When the assessment runs
    Then rule SOC-058 lists records OCG-2
    And record OCG-3 is not applicable to rule SOC-058
    And rule SOC-059 has 1 applicable, 1 compliant, 0 non-compliant and 0 not recorded records
