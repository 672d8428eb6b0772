@armed_policing
Feature: Armed policing
  In 2017 the inspectorate found that West Mercia's armed policing strategic threat and risk
  assessment (APSTRA) had been reviewed in November 2017 but had no analysis of how quickly armed
  response vehicles reach armed incidents. The ARM rules read the APSTRA as a record: only the
  version in force is judged, and it must have been reviewed in the six months before the assessment
  (College of Policing armed policing APP asks for a six-monthly review: six calendar months, 181 to 184 days).

  Background:
    Given the PEEL pack
    And the assessment date is 1 March 2018

  @finding @from_report
  Scenario: The 2017 APSTRA had no analysis of ARV response times
    Given an apstra record "APSTRA-2017" with:
      | current_version                     | true       |
      | last_reviewed_on                    | 2017-11-17 |
      | includes_arv_response_time_analysis | false      |
    When the assessment runs
    Then rule ARM-001 is not met
    And record APSTRA-2017 fails rule ARM-001 because of its includes_arv_response_time_analysis
    And record APSTRA-2017 passes rule ARM-053

  @finding @boundary
  Scenario Outline: The APSTRA in force was reviewed in the last six months (1 September 2017 is in, 31 August out)
    Given an apstra record "APSTRA-1" with:
      | current_version  | <current>  |
      | last_reviewed_on | <reviewed> |
    When the assessment runs
    Then record APSTRA-1 <outcome> rule ARM-053

    Examples:
      | current | reviewed   | outcome              |
      | true    | 2017-11-17 | passes               |
      | true    | 2018-03-01 | passes               |
      | true    | 2017-09-01 | passes               |
      | true    | 2017-08-31 | fails                |
      | true    | 2017-08-29 | fails                |
      | true    | 2017-03-01 | fails                |
      | true    | 2018-03-02 | fails                |
      | true    |            | is not recorded for  |
      | false   | 2015-01-01 | is not applicable to |

  @finding @boundary
  Scenario Outline: Six calendar months, however many days: the day of the month, or the month's last day
    Given the assessment date is <assessed>
    And these apstra records:
      | document_ref | current_version | last_reviewed_on |
      | A-IN         | true            | <in>             |
      | A-OUT        | true            | <out>            |
    When the assessment runs
    Then record A-IN passes rule ARM-053
    And record A-OUT fails rule ARM-053

    Examples:
      | assessed   | in         | out        |
      | 2020-02-29 | 2019-08-29 | 2019-08-28 |
      | 2020-03-01 | 2019-09-01 | 2019-08-31 |
      | 2020-03-31 | 2019-09-30 | 2019-09-29 |
      | 2019-08-31 | 2019-02-28 | 2019-02-27 |

  @finding @boundary
  Scenario Outline: A version approved in the last six months is not yet due a review
    Given an apstra record "APSTRA-1" with:
      | current_version  | true       |
      | approved_on      | <approved> |
      | last_reviewed_on | <reviewed> |
    When the assessment runs
    Then record APSTRA-1 <outcome> rule ARM-053

    Examples:
      | approved   | reviewed   | outcome             |
      | 2018-02-01 |            | passes              |
      | 2017-09-01 |            | passes              |
      | 2017-08-31 |            | is not recorded for |
      | 2017-09-01 | 2017-07-10 | passes              |
      | 2017-08-31 | 2017-07-10 | fails               |

  @finding
  Scenario: A good current APSTRA is not pulled down by the one it replaced
    Given these apstra records:
      | document_ref | current_version | includes_arv_response_time_analysis |
      | APSTRA-2016  | false           | false                               |
      | APSTRA-2017  | true            | true                                |
    When the assessment runs
    Then rule ARM-001 is met
    And record APSTRA-2016 is not applicable to rule ARM-001

  @finding
  Scenario: Only the version in force is judged
    Given these apstra records:
      | document_ref | current_version | last_reviewed_on | approved_by_designated_chief_officer | approved_on |
      | APSTRA-2016  | false           | 2016-05-01       | false                                |             |
      | APSTRA-2017  | true            | 2017-11-17       | true                                 | 2017-11-20  |
    When the assessment runs
    Then rule ARM-053 is met
    And rule ARM-051 is met
    And rule ARM-053 has 1 applicable, 1 compliant, 0 non-compliant and 0 not recorded records

  @finding
  Scenario Outline: The APSTRA is approved by the designated chief officer, and the approval is dated
    Given an apstra record "APSTRA-1" with:
      | current_version                      | true       |
      | approved_by_designated_chief_officer | <approved> |
      | approved_on                          | <on>       |
    When the assessment runs
    Then rule ARM-051 is <outcome> for record APSTRA-1

    Examples:
      | approved | on         | outcome      |
      | true     | 2017-11-20 | met          |
      | false    | 2017-11-20 | not met      |
      | true     |            | not met      |
      |          | 2017-11-20 | not recorded |

  @finding @boundary
  Scenario Outline: Capability is assessed against the six national threats, with evidence reviewed in the year
    Given an attestation record "SPR" with:
      | question         | spr_threats_assessed |
      | answer           | <answer>             |
      | evidence_ref     | <evidence>           |
      | last_reviewed_on | <reviewed>           |
    When the assessment runs
    Then record SPR <outcome> rule ARM-054

    Examples:
      | answer | evidence        | reviewed   | outcome             |
      | yes    | SPR review 2017 | 2017-10-01 | passes              |
      | yes    | SPR review 2017 | 2017-03-01 | passes              |
      | yes    | SPR review 2017 | 2017-02-28 | fails               |
      | no     | SPR review 2017 | 2017-10-01 | fails               |
      | yes    |                 | 2017-10-01 | fails               |
      | yes    | SPR review 2017 |            | is not recorded for |

  @finding
  Scenario Outline: The APSTRA in force sets patrol areas from likely targets and explains its armed capacity
    Given an apstra record "APSTRA-1" with:
      | current_version                           | true       |
      | considers_crowded_places                  | <crowded>  |
      | arv_patrol_areas_informed_by_target_sites | <patrols>  |
      | covers_firearms_threat                    | true       |
      | armed_capacity_rationale_recorded         | <capacity> |
      | armed_capability_rationale_recorded       | true       |
    When the assessment runs
    Then record APSTRA-1 <sites_outcome> rule ARM-050
    And record APSTRA-1 <rationale_outcome> rule ARM-052

    Examples:
      | crowded | patrols | capacity | sites_outcome       | rationale_outcome   |
      | true    | true    | true     | passes              | passes              |
      | false   | true    | false    | fails               | fails               |
      | true    | false   | true     | fails               | passes              |
      | true    |         |          | is not recorded for | is not recorded for |
