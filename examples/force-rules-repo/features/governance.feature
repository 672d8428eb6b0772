@governance
Feature: Keeping policies under review (local standards)
  The governance framework (GOV23) asks that every policy is reviewed at least once a year and that
  the force publishes a domestic abuse policy with a named owner. The assessment date is 1 April 2024
  unless a scenario says otherwise.

  @local_standard @boundary
  Scenario Outline: Every policy was reviewed in the 365 days before the assessment (day 365 in, day 366 out)
    Given a policy_document record "POL-1" with:
      | last_reviewed_on | <reviewed> |
    When the assessment runs
    Then record POL-1 <outcome> rule GOV-001

    Examples:
      | reviewed   | outcome             |
      | 2023-10-01 | passes              |
      | 2024-04-01 | passes              |
      | 2023-04-02 | passes              |
      | 2023-04-01 | fails               |
      | 2024-04-02 | fails               |
      |            | is not recorded for |

  @local_standard @boundary
  Scenario: Across a leap day the window is still 365 days
    Given the assessment date is 2024-03-01
    And these policy_document records:
      | policy_ref | last_reviewed_on |
      | POL-365    | 2023-03-02       |
      | POL-366    | 2023-03-01       |
    When the assessment runs
    Then record POL-365 passes rule GOV-001
    And record POL-366 fails rule GOV-001
    And rule GOV-001 lists records POL-366

  @local_standard @aggregate
  Scenario Outline: At least one published domestic abuse policy with a named owner
    Given these policy_document records:
      | policy_ref | topic          | published   | owner   |
      | POL-DA     | domestic_abuse | <published> | <owner> |
      | POL-SS     | stop_search    | true        | ACC Ops |
    When the assessment runs
    Then rule GOV-002 is <status>

    Examples:
      | published | owner                   | status  |
      | true      | ACC Protective Services | met     |
      | false     | ACC Protective Services | not met |
      | true      |                         | not met |

  @local_standard @aggregate
  Scenario: No policy register at all is not the same as an empty one
    Given no policy_document records
    When the assessment runs
    Then rule GOV-002 is not met
    And rule GOV-001 is not assessed

  @cli
  Scenario: The pack and the profile validate from the command line
    Given a copy of the pack in "pack"
    And a copy of "profile.yaml" in "profile.yaml"
    When I run "peelcheck validate pack --profile profile.yaml"
    Then the exit code is 0 (no gaps)
    And the output contains "pack: ok:"
